from kinerja import main

main()
